package reviewform_test

import (
	"net/http"
	"testing"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/devkit/formtest"
)

// FuzzReviewForm: any body posted with a genuine reviewer's link is
// answered without a fault, and a review is stored only when the answer
// is the page showing it (200).
func FuzzReviewForm(f *testing.F) {
	_, _, tok, _ := setup(f)
	csrf := httpapi.CSRF(key, tok)
	for _, seed := range []string{
		"r_diagnosis=4&r_solution=0&r_communication=3&r_follow_up=4&r_process=4&c_solution=wrong+fix&csrf=" + csrf,
		"r_diagnosis=4&r_solution=4&r_solution=3&r_communication=3&r_follow_up=4&r_process=4&csrf=" + csrf,
		"r_diagnosis=-1&csrf=" + csrf, "%zz&csrf=" + csrf, "", "r_tone=4&csrf=" + csrf,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		st, h, _, _ := setup(t)
		resp := formtest.Invoke(t, h.Handle, formtest.Request(t, "/q/", http.MethodPost, tok, body, nil))
		if resp.StatusCode >= 500 {
			t.Fatalf("%d for %q", resp.StatusCode, body)
		}
		if stored := len(st.reviews); (resp.StatusCode == http.StatusOK) != (stored == 1) || stored > 1 {
			t.Fatalf("status %d with %d reviews stored for %q", resp.StatusCode, stored, body)
		}
	})
}
