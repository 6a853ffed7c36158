"""Airline and corporate quotes: requests, files, offers, payments, status, mail."""
