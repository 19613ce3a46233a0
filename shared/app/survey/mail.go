package survey

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"

	"scorecard/shared/app/token"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
)

//go:embed templates
var templateFS embed.FS

var (
	htmlTemplates = htmltemplate.Must(htmltemplate.New("").ParseFS(templateFS, "templates/*.html"))
	textTemplates = texttemplate.Must(texttemplate.New("").ParseFS(templateFS, "templates/*.txt"))
)

type rateLink struct {
	N          int
	Name, URL  string
	Background string // a colour of the scale, red to green
}

type mailView struct {
	L           *messages
	Subject     string
	Greeting    string
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
func Mail(key []byte, base string, s Survey) (mail.Mail, error) {
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
		L:        m,
		Subject:  fmt.Sprintf(m.SubjectF, s.TicketID),
		Greeting: m.Greeting,
		Intro:    fmt.Sprintf(m.MailIntroF, s.TicketID),
		Low:      m.Ratings[0],
		High:     m.Ratings[4],
		Expires:  fmt.Sprintf(m.MailExpiresF, m.Date(s.ExpiresAt.UTC())),
	}
	if name := strings.TrimSpace(s.CustomerName); name != "" {
		v.Greeting = fmt.Sprintf(m.GreetingF, name)
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
	var hb, tb bytes.Buffer
	if err := htmlTemplates.ExecuteTemplate(&hb, "mail.html", v); err != nil {
		return mail.Mail{}, errcode.Wrap(errcode.Internal, err, "render survey mail")
	}
	if err := textTemplates.ExecuteTemplate(&tb, "mail.txt", v); err != nil {
		return mail.Mail{}, errcode.Wrap(errcode.Internal, err, "render survey mail")
	}
	return mail.Mail{Subject: v.Subject, HTML: hb.String(), Text: tb.String()}, nil
}
