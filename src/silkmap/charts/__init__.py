"""Qt-free matplotlib figure builders (imported lazily: matplotlib costs start-up time)."""
