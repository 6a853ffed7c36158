"""Accounts: buyers, their addresses, and staff."""
