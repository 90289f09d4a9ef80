"""Search: the query language, what is indexed, the word index, and how hits are shown."""
