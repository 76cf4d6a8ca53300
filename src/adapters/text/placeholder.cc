namespace hotline::adapters::text {}
