"""The mail queue: messages are stored with the change they tell of and delivered afterwards.

`queue` records messages and lets staff retry them; `delivery` claims due messages one at a
time (a guarded UPDATE, so two deliverers never send one message twice), hands them to the
real transport and records the outcome, retrying with exponential backoff.
"""
