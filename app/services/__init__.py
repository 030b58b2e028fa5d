"""Domain logic: module functions that take a Session and plain values and raise DomainError."""
