"""Domain services: the clinic's rules, used by flows, the console and the scheduler."""
