"""Meetings: planning and series, agendas, answers and attendance, calendar files; the series rules
the reminder engine also uses.
"""
