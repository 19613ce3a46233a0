package evidencepage_test

import (
	"net/http"
	"testing"

	"scorecard/shared/app/token"
	"scorecard/shared/devkit/formtest"
)

// FuzzDisputeForm: any body posted with a genuine engineer's link is
// answered without a fault, and a dispute is stored only when the answer
// is the redirect back to the page.
func FuzzDisputeForm(f *testing.F) {
	tok, err := token.Sign(key, token.Claims{Kind: token.KindEvidence, Subject: "2026-10/E2", Expires: now.AddDate(0, 2, 0)})
	if err != nil {
		f.Fatal(err)
	}
	csrf := formtest.CSRF(key, tok)
	for _, seed := range []string{
		"metric=resolution_sla_rate&source=zendesk&ticket=5150&reason=not_mine&comment=x&csrf=" + csrf,
		"metric=lead_assessment&source=assessment&ticket=lead&reason=other&comment=&csrf=" + csrf,
		"metric=resolution_sla_rate&metric=x&csrf=" + csrf,
		"%zz&csrf=" + csrf, "", "reason=duplicate",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		h := handler()
		resp := formtest.Invoke(t, h.Handle, formtest.Request(t, "/e/", http.MethodPost, tok, body, nil))
		if resp.StatusCode >= 500 {
			t.Fatalf("%d for %q", resp.StatusCode, body)
		}
		st := h.Store.(store)
		if stored := len(*st.disputes); (resp.StatusCode == http.StatusSeeOther) != (stored == 1) || stored > 1 {
			t.Fatalf("status %d with %d disputes stored for %q", resp.StatusCode, stored, body)
		}
	})
}
