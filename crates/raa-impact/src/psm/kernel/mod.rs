//! Greedy nearest-neighbour matching kernel (MatchIt semantics), parallel and deterministic.
