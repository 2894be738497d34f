package engine

import "time"

// remember keeps an attempt that just ended (state), for the attempts
// list and the timeline; the oldest are forgotten past maxPastAttempts.
func (in *instState) remember(state State) {
	a := AttemptView{Attempt: in.rec.Tries(), AttemptID: in.rec.AttemptID, State: state, Message: in.rec.Message,
		Host: in.rec.Host, StartedAt: in.rec.StartedAt, FinishedAt: in.rec.FinishedAt}
	if in.rec.ExitCode != nil {
		c := *in.rec.ExitCode
		a.ExitCode = &c
	}
	in.past = append(in.past, a)
	if len(in.past) > maxPastAttempts {
		in.past = append([]AttemptView(nil), in.past[len(in.past)-maxPastAttempts:]...)
	}
}

// pastAttempts are the remembered attempts before the current one (the
// current one is the instance's own fields: after an attempt staged from
// an intent that its backend did not know, those of the last attempt
// launched, numbered Tries, as untriedIntent put them back).
func (in *instState) pastAttempts() []AttemptView {
	var out []AttemptView
	for _, a := range in.past {
		if a.Attempt < in.rec.Tries() {
			out = append(out, a)
		}
	}
	return out
}

// rememberRestarted keeps an attempt a restart drops while it runs: its
// end is not waited for, so it ends now, killed by the restart.
func (in *instState) rememberRestarted(now time.Time) {
	rec := in.rec
	in.rec.FinishedAt, in.rec.Message = &now, "restarted"
	in.remember(Killed)
	in.rec.FinishedAt, in.rec.Message = rec.FinishedAt, rec.Message
}
