"""What every capability's commands share: the handler context, mentions, rights, time input and
common texts.
"""
