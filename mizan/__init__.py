"""mizan"""
