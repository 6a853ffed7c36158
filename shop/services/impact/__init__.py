"""Makers' wages: what each order pays, payouts recorded, and the months published on /impact."""
