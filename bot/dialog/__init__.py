"""The conversation's machinery: a turn, its handlers, and how a conversation moves."""
