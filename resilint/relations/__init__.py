"""Relations between resources that several rules need (which subnets a group spans, which
records form a failover pair, which bucket replicates where), computed once per unit through
`Unit.derived` and shared. Each module here serves one family of rules and reads only the model."""
