"""Action items (Umsetzungsschritte): creating, assigning, deadlines, lists; the item texts the
reminder engine also uses.
"""
