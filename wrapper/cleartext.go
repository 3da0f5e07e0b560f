package wrapper

import (
	"context"
	"log/slog"
	"net"
	"net/url"
	"strings"
)

// CleartextMessage is the message of the log record New writes (at warn level, once per
// client) when the base URL is plain http to a host other than this machine, with the
// attribute host.
const CleartextMessage = "omeda base URL is not encrypted"

// Cleartext reports whether the client's calls travel unencrypted to another machine: a plain
// http base URL whose host is not a loopback address. The app id, the input id and the card
// data of a paid order then cross the network in clear text. Loopback (the sandbox, a local
// proxy) is not reported. The client is not refused: a mistyped scheme is the caller's to
// correct, and New says so once on the client's logger.
func (c *Client) Cleartext() bool { return cleartext(c.baseURL) }

func cleartext(base string) bool {
	u, err := url.Parse(base)
	if err != nil || !strings.EqualFold(u.Scheme, "http") {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

// warnCleartext logs, once, that the base URL is not encrypted.
func (c *Client) warnCleartext() {
	if c.log == nil || !c.Cleartext() {
		return
	}
	c.log.LogAttrs(context.Background(), slog.LevelWarn, CleartextMessage,
		slog.String("host", c.red.Clean(placeOf(c.baseURL))),
		slog.String("risk", "the app id, the input id and card data travel in clear text; use https"))
}
