// Package functions holds Okta Workflows' kernel function cards for text,
// numbers, true/false, dates, JSON, URL, crypto and JWT. Each card registers
// itself in init() with its native id, the Okta kind(s) it implements and
// Okta's export field keys, so imported flows bind without renaming.
//
// Inputs arrive already converted by engine.Coerce and checked against the
// card's input schema; cards only implement the behaviour. Where Okta's help
// pages are silent the card's Description states the choice made.
package functions
