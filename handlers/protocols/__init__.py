"""Minutes taken during a meeting and the protocols made of them; the protocol texts the reminder
engine also uses.
"""
