"""Business logic: plain functions that take explicit arguments and own transactions."""
