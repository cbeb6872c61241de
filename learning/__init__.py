"""The learning platform: courses built on the library, quizzes, progress, certificates and
case studies drawn from decided cases. Domain and services only; its pages live in ``web``."""
