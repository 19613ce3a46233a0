package surveyform

import (
	"embed"
	"fmt"
	"net/url"
	"strings"

	"scorecard/shared/app/formkit"
	"scorecard/shared/app/token"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
	"scorecard/shared/core/survey"
)

//go:embed templates
var templateFS embed.FS

var htmlTemplates, textTemplates = formkit.Templates(templateFS, "templates/*.html", "templates/*.txt")

type rateLink struct {
	N          int
	Name, URL  string
	Background string // a colour of the scale, red to green
}

type mailView struct {
	formkit.MailFrame
	L           *messages
	Intro       string
	Links       []rateLink
	Low, High   string
	Expires     string
	Unsubscribe string
}

// scale colours the five ratings from red to green; each keeps 4.5:1
// contrast with white text.
var scale = [5]string{"#b91c1c", "#c2410c", "#4b5563", "#15803d", "#166534"}

// Mail builds the survey mail in the survey's language (zh-CN or en, else
// English): five rating links, each base+"/s/"+token with that rating
// preselected, and an unsubscribe link; every link a fresh token expiring
// at s.ExpiresAt. A survey without id, customer key or expiry, or a base
// that is not an absolute http(s) URL, is an errcode.Invalid error.
func Mail(key []byte, base string, s survey.Survey) (mail.Mail, error) {
	switch {
	case s.ID == "":
		return mail.Mail{}, errcode.Errorf(errcode.Invalid, "survey mail: no survey id")
	case s.CustomerKey == "":
		return mail.Mail{}, errcode.Errorf(errcode.Invalid, "survey mail for %s: no customer key", s.ID)
	case s.ExpiresAt.IsZero():
		return mail.Mail{}, errcode.Errorf(errcode.Invalid, "survey mail for %s: no expiry", s.ID)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return mail.Mail{}, errcode.Errorf(errcode.Invalid, "survey mail: base URL %q is not an absolute http(s) URL", base)
	}
	base = strings.TrimRight(base, "/")
	link := func(c token.Claims) (string, error) {
		c.Expires = s.ExpiresAt
		tok, err := token.Sign(key, c)
		if err != nil {
			return "", fmt.Errorf("survey mail for %s: %w", s.ID, err)
		}
		return base + "/s/" + tok, nil
	}
	m := catalog(s.Locale)
	v := mailView{
		MailFrame: formkit.MailFrame{Subject: fmt.Sprintf(m.SubjectF, s.TicketID), Greeting: formkit.Greet(s.CustomerName, m.Greeting, m.GreetingF)},
		L:         m,
		Intro:     fmt.Sprintf(m.MailIntroF, s.TicketID),
		Low:       m.Ratings[0],
		High:      m.Ratings[4],
		Expires:   fmt.Sprintf(m.MailExpiresF, m.Date(s.ExpiresAt.UTC())),
	}
	for n := 1; n <= 5; n++ {
		u, err := link(token.Claims{Kind: token.KindSurvey, Subject: s.ID, Rating: n})
		if err != nil {
			return mail.Mail{}, err
		}
		v.Links = append(v.Links, rateLink{N: n, Name: m.Ratings[n-1], URL: u, Background: scale[n-1]})
	}
	if v.Unsubscribe, err = link(token.Claims{Kind: token.KindUnsubscribe, Subject: s.CustomerKey}); err != nil {
		return mail.Mail{}, err
	}
	return formkit.Mails{Name: "survey", HTML: htmlTemplates, Text: textTemplates}.Render(v.MailFrame, v)
}
