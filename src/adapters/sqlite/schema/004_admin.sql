-- 004: reserved for the admin endpoints (routing directory history and user states).
SELECT 1;
