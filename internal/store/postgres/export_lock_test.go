package postgres

// LockKeySQL is the expression of a Lock key's advisory lock key; $1 is the key.
const LockKeySQL = lockKey
