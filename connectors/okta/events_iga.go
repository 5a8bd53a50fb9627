package okta

// The sample of Access Certification Decision Submitted
// (certification.campaign.item.decide) names a review item, not a user:
// Okta's reference says Review Item is the review's id (templates read it
// with GET /governance/api/v1/reviews/{id}), and its Debug Data carries the
// campaign and item details the developers' templates read
// (campaignItem…, campaignTemplate…). The sandbox's own decisions replace
// it in the Run panel (app/sandbox_iga_samples.go).

// SampleReviewID is the review item of the card's sample event.
const SampleReviewID = "icr1a2b3c4d5e6f7g8h9"

// sampleDebugData are debugData entries of a card's sample event, by method.
var sampleDebugData = map[string]func() map[string]any{}

func init() {
	sampleTargets["accessCertificationDecisionSubmitted"] = func() []any {
		return []any{sampleTarget(SampleReviewID, "CertificationReviewItem", "jane.doe@example.com", "Jane Doe - Slack")}
	}
	sampleDebugData["accessCertificationDecisionSubmitted"] = func() map[string]any {
		return map[string]any{
			"campaignItemId": SampleReviewID, "campaignItemDecision": "REVOKE", "campaignItemDecisionNotes": "No longer needs Slack",
			"campaignItemPrincipalId": "00u1a2b3c4d5e6f7g8h9", "campaignItemPrincipalName": "Jane Doe",
			"campaignItemResourceId": SampleAppID, "campaignItemResourceName": "Slack", "campaignItemResourceType": "APP",
			"campaignItemReviewerId": SampleAdminID, "campaignItemReviewerName": "Ada Admin",
			"campaignTemplateId": "ici1a2b3c4d5e6f7g8h9", "campaignTemplateName": "Semi-Annual",
		}
	}
}
