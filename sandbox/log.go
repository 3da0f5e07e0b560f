package sandbox

import (
	"log/slog"
	"net/http"
	"time"
)

// loggingWriter notes the status and size of an answer for the request log.
type loggingWriter struct {
	http.ResponseWriter
	status int
	size   int64
}

func (w *loggingWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *loggingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's Flush.
func (w *loggingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequest writes one record per request. Header values carry credentials: never log them.
func (s *Server) logRequest(r *http.Request, op string, w *loggingWriter, f Fault, faulted bool, started time.Time) {
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.URL.EscapedPath()),
		slog.String("operation", op),
		slog.Int("status", w.status), // 0: no answer (dropped, hung, or the client went away)
		slog.Int64("bytes", w.size),
		slog.Duration("duration", time.Since(started)),
	}
	if faulted {
		attrs = append(attrs, slog.Group("fault",
			slog.Int("status", f.Status),
			slog.Duration("delay", f.Delay),
			slog.Int("truncate", f.Truncate),
			slog.String("drop", f.Drop.String()),
			slog.Bool("hang", f.Hang),
			slog.Bool("body", f.Body != nil),
		))
	}
	s.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "sandbox request", attrs...)
}
