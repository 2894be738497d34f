package engine

import (
	"context"
	"fmt"
	"time"
)

// A request that has ended — its deadline passed, its client gone — must
// not take effect afterwards: whoever sent it has been told it failed, and
// a client that retries would run a document twice. The HTTP layer answers
// 503 by itself at a request's deadline; so that its answer and the
// engine's effect always agree, it gives the engine a claim (WithClaim).
// The engine claims the request at the one point where it takes effect;
// at the deadline the HTTP layer answers 503 only if nothing claimed it,
// and otherwise waits for the engine's own answer.

type claimKey struct{}

// WithClaim returns ctx carrying claim, which reports whether the request
// may still take effect and, if so, binds whoever answers it to wait for
// the engine's result.
func WithClaim(ctx context.Context, claim func() bool) context.Context {
	return context.WithValue(ctx, claimKey{}, claim)
}

// TakeEffect is called once, right before a request changes anything: it
// refuses a request that has ended or that was answered already
// (ErrTooLate). Once it has returned nil the change is carried through
// whatever becomes of ctx. The engine calls it; so may other services.
func TakeEffect(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrTooLate, err)
	}
	if claim, ok := ctx.Value(claimKey{}).(func() bool); ok && !claim() {
		return fmt.Errorf("%w: %w", ErrTooLate, context.DeadlineExceeded)
	}
	return nil
}

// afterEffect is the context for the rest of a request that has taken
// effect: ctx's values without its end, bounded so that a backend that
// does not answer cannot hold the request for ever.
func afterEffect(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
}
