package event

import (
	"fmt"
	"net/http"
	"time"
)

// Delivery is one webhook request as a source's parser reads it.
type Delivery struct {
	Header http.Header
	Body   []byte
	// Received is when the request arrived: the time of an event whose
	// sender gives none (a Freshdesk rule body without a time placeholder).
	Received time.Time
	// Warn hears about values a parser kept or mapped by default rather
	// than refuse (a custom status it does not know, a time read in the
	// helpdesk's zone); nil discards them. field names the value as sent.
	Warn func(field, problem string)
}

// Warnf reports a value kept or mapped by default.
func (d Delivery) Warnf(field, format string, args ...any) {
	if d.Warn != nil {
		d.Warn(field, fmt.Sprintf(format, args...))
	}
}
