"""The national medical-insurance platform's interface (国家医保信息平台 "fsi"): the adapter."""
