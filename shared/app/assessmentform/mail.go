package assessmentform

import (
	"embed"
	"fmt"
	"net/url"
	"strings"
	"time"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/token"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
)

//go:embed templates
var templateFS embed.FS

var htmlTemplates, textTemplates = formkit.Templates(templateFS, "templates/*.html", "templates/*.txt")

type mailView struct {
	formkit.MailFrame
	L         *messages
	Intro     string
	Engineers []string // a lead's engineers; none for a self-assessment
	Button    string
	URL       string
	Deadline  string
	Reminder  bool
}

// Invitation builds the mail that invites the assessor to fill in the
// form (reminder false) or reminds them before the deadline (reminder
// true), in the assessment's language (zh-CN or en, else English). It
// holds one link, base+"/a/"+token, the token of kind
// token.KindAssessment for a.ID expiring at a.Deadline (a fresh one for
// every mail). It says what is assessed and for whom — oneself, or the
// lead's engineers by name — and gives the deadline as a date and time in
// loc, the policy's time zone (UTC when nil). The reminder says that an
// assessor who already submitted need do nothing: whether to remind them
// at all is the caller's decision.
//
// An assessment that cannot be linked or shown (no id, month or deadline,
// no engineers, an unknown kind), or a base that is not an absolute
// http(s) URL, is an errcode.Invalid error.
func Invitation(key []byte, base string, a assessment.Assessment, loc *time.Location, reminder bool) (mail.Mail, error) {
	if err := a.Check(); err != nil {
		return mail.Mail{}, err
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return mail.Mail{}, errcode.Errorf(errcode.Invalid, "assessment mail: base URL %q is not an absolute http(s) URL", base)
	}
	if loc == nil {
		loc = time.UTC
	}
	tok, err := token.Sign(key, token.Claims{Kind: token.KindAssessment, Subject: a.ID, Expires: a.Deadline})
	if err != nil {
		return mail.Mail{}, fmt.Errorf("assessment mail for %s: %w", a.ID, err)
	}
	m := catalog(a.Locale)
	mon := m.Month(a.Month)
	v := mailView{
		MailFrame: formkit.MailFrame{Subject: fmt.Sprintf(m.SubjectF[a.Kind], mon), Greeting: formkit.Greet(a.AssessorName, m.Greeting, m.GreetingF)},
		L:         m,
		Button:    m.MailButton[a.Kind],
		URL:       strings.TrimRight(base, "/") + "/a/" + tok,
		Deadline:  fmt.Sprintf(m.MailDeadlineF, m.When(a.Deadline, loc)),
		Reminder:  reminder,
	}
	switch {
	case a.Kind == assessment.Self && !reminder:
		v.Intro = fmt.Sprintf(m.InviteSelfF, mon)
	case a.Kind == assessment.Self:
		v.Intro = fmt.Sprintf(m.RemindSelfF, mon)
	case !reminder:
		v.Intro = fmt.Sprintf(m.InviteLeadF, mon, m.engineers(len(a.Engineers)))
	default:
		v.Intro = fmt.Sprintf(m.RemindLeadF, mon, m.engineers(len(a.Engineers)))
	}
	if reminder {
		v.Subject = fmt.Sprintf(m.ReminderSubjectF[a.Kind], mon, m.date(a.Deadline, loc))
	}
	if a.Kind == assessment.Lead {
		v.Engineers = legends(a.Engineers)
	}
	return formkit.Mails{Name: "assessment", HTML: htmlTemplates, Text: textTemplates}.Render(v.MailFrame, v)
}
