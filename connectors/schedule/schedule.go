// Package schedule holds the Scheduled Flow trigger card. The trigger
// runtime (engine/trigger) runs such flows; imported Okta scheduled flows
// keep their Helper Flow trigger with Okta's cron object in the input
// "schedule" and run the same way.
package schedule

import (
	"github.com/flowbench/flowbench/engine"
	"github.com/flowbench/flowbench/engine/trigger"
)

func init() { engine.Register(Spec()) }

// Spec is the Scheduled Flow card.
func Spec() *engine.Spec {
	t := engine.T
	return &engine.Spec{ID: trigger.TypeSchedule, Title: "Scheduled Flow", Category: "Triggers", Kind: engine.KindTrigger,
		ExtensibleOutputs: true, DocURL: "https://help.okta.com/wf/en-us/content/topics/workflows/build/schedule-flow.htm",
		Inputs: []engine.FieldSpec{
			{Key: "frequency", Label: "Runs", Type: t("string"), Default: "daily", Choices: []engine.Choice{
				{Value: "minutes", Label: "Every N minutes"}, {Value: "hours", Label: "Every N hours"},
				{Value: "daily", Label: "Daily"}, {Value: "weekly", Label: "Weekly"}, {Value: "monthly", Label: "Monthly"},
				{Value: "cron", Label: "Cron expression"}}},
			{Key: "every", Label: "Every", Type: t("number"), Description: "N for minutes/hours"},
			{Key: "at", Label: "At", Type: t("string"), Description: "time of day HH:MM (daily, weekly, monthly; minute past the hour for hours)"},
			{Key: "weekdays", Label: "On", Type: t("string"), Description: "weekly: days such as mon,wed,fri"},
			{Key: "dayOfMonth", Label: "Day of month", Type: t("number"), Description: "monthly: 1–31"},
			{Key: "cron", Label: "Cron", Type: t("string"), Description: "5 fields (min hour dom month dow) or 6 with seconds; @hourly, @daily…"},
			{Key: "timeZone", Label: "Time zone", Type: t("string"), Description: "IANA name, e.g. America/Los_Angeles (the computer's zone when empty)"},
			{Key: "missed", Label: "Missed runs", Type: t("string"), Default: "skip", Choices: []engine.Choice{
				{Value: "skip", Label: "Skip runs missed while closed"}, {Value: "once", Label: "Run once at start-up"}}},
			{Key: "schedule", Label: "Okta schedule", Type: t("object"), Description: "Okta's cron object {seconds, minutes, hours, dayOfTheMonth, month, dayOfTheWeek, timeZone, startDate, endDate}, used when frequency is empty"},
		},
		Outputs:     []engine.FieldSpec{{Key: "scheduledTime", Label: "Scheduled Time", Type: t("date")}},
		Description: "Starts the flow on a schedule while Flowbench (desktop or `flowbench serve`) runs: every N minutes or hours, daily, weekly or monthly at a time in a time zone, or a cron expression."}
}
