"""casefiles"""
