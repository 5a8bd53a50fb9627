package flopack

// Mapping conventions (what the rest of Flowbench can rely on):
//
//   - One engine.Flow per Okta flow: ID = Okta flow uuid, Folder = folder
//     path ("Parent/Child"), Settings.History = the flow's "log" flag,
//     Origin{Source:"okta", ID, Address: the imported file name}.
//   - Card ids are Okta card uuids (renamed "<uuid>-2" only on a clash);
//     Card.Origin.Address is the Okta card address, and Origin.Raw the
//     original card JSON for type "unsupported".
//   - Field keys are Okta keys; "Group/key" when the card spec declares that
//     form or when the key occurs in several groups of the card; "key#2"
//     for a second field with the same group and key.
//   - Trigger outputs: the "context" group becomes one object output
//     "context" {execution_id, index, error, parent}; bindings to it use the
//     path ["context", key]. Scheduled flows keep a flow.helper trigger with
//     Okta's cron object in the input "schedule"; API Endpoint / Delegated
//     flows carry the endpoint security in the input "security_level".
//   - Event flows (§6.2) are flattened: the event card is the trigger, its
//     outputs are the event fields of the per-event body, and the body's
//     cards are the flow. Flow.Origin.Raw holds {"eachEvent": {...}}: the
//     body runs once per event of a delivered batch, in order, ignoring
//     per-event failures.
//   - If/Else → flow.if with branches "true"/"false" and the join's fields
//     as Outputs with Any bindings (one per lane wire); the join input's
//     exported default, if any, is kept as the output's Value.
//     If/ElseIf → flow.ifElseIf, one branch per clause (group id; "if"
//     first, "else" last) with the clause's left-operand/operator/
//     right-operand as Branch.Inputs. If Error → flow.ifError with "try" and
//     "catch"; the catch body's context.error binds to the If Error card,
//     path ["error", …]. Inline-body callables are dropped; wormhole values
//     bind directly to their outer source.
//   - Hidden object:expand cards fold into binding paths
//     (Binding{Card: source, Path: [output, sub, path…]}); an expand that
//     cannot fold (or Options.KeepExpand) stays an object.expand card right
//     after its source, outputs keyed by the Okta group id ("<group>#key"
//     for the path list) with the JSON path as the output's Group.
//   - Static values: kept unless they say nothing (see keepValue); a value
//     that does not fit its own declared type is kept and warned about.
