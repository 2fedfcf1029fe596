"""AGs and their chats: setting up, joining, roles, linking accounts and chat membership events."""
