"""Hours against project budgets: booking, reports, exports and budgets; the budget texts the
reminder engine also uses.
"""
