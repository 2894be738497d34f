package engine

// notes are what the planner said of the document as a whole; a stored
// document that cannot be planned any more has none.
func (ds *docState) notes() []string {
	if ds.plan == nil {
		return nil
	}
	return ds.plan.Notes
}
