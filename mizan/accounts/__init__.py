"""Users, districts, roles, passwords and the role-level permission model."""
