namespace hotline::adapters::fiscal {}
