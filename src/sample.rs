//! The synthetic sample generator.
