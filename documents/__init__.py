"""Documents the bot hands out as files: protocols (PDF, DOCX, Markdown) and hour exports.

Renderers take plain frozen data and a translator and return bytes; they know nothing of
the database or of messengers, so handlers build the data and the renderers stay testable.
"""
