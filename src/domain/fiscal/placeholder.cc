namespace hotline::domain::fiscal {}
