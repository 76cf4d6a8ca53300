namespace hotline::adapters::classify {}
