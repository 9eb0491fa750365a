"""Who is pledged to defend whom: day-accurate pledges, their conditions, crisis scenarios."""
