package store

// MaxFlowBytes bounds one stored flow (compact JSON). Okta's largest
// exported flows are a few hundred KB; Badger refuses a transaction larger
// than about a tenth of its memtable, which a bigger flow would hit with a
// raw "Txn is too big" error instead of this one.
const MaxFlowBytes = 4 << 20
