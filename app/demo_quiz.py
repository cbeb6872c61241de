"""The demo ATA course's quiz: ten questions on the Anti-Terrorism Act, 1997.

Called by the demo seeding once the trainer's ATA course exists
(``seed_demo_quiz(kernel, course_id)``); does nothing if the course already has
questions, so seeding twice is harmless. The questions go through the same service a
trainer uses, so they obey every rule of the bank.
"""

from __future__ import annotations

from learning.quiz_models import Quiz
from learning.quizzes import (
    OptionInput,
    QuestionInput,
    SettingsInput,
    add_question,
    course_has_quiz,
    save_settings,
)
from mizan.actor import Actor
from mizan.kernel import Kernel

GHULAM_HUSSAIN = "Ghulam Hussain v. The State (PLD 2020 SC 61)"

QUESTIONS = [
    QuestionInput(
        kind="single",
        text_en="Which section of the Anti-Terrorism Act, 1997 defines “terrorism”?",
        text_ur="انسداد دہشت گردی ایکٹ 1997 کی کون سی دفعہ “دہشت گردی” کی تعریف کرتی ہے؟",
        options=[
            OptionInput("Section 6", "دفعہ 6", correct=True),
            OptionInput("Section 7", "دفعہ 7", feedback_en="Section 7 sets the punishments."),
            OptionInput("Section 8", "دفعہ 8"),
            OptionInput("Section 12", "دفعہ 12"),
        ],
        feedback_en="Section 6 defines terrorism; section 7 punishes it.",
        feedback_ur="دفعہ 6 دہشت گردی کی تعریف کرتی ہے؛ دفعہ 7 اس کی سزا مقرر کرتی ہے۔",
    ),
    QuestionInput(
        kind="single",
        text_en="What does s. 7(1)(a) ATA provide when an act of terrorism causes a death?",
        text_ur="اگر دہشت گردی کے فعل سے کسی کی موت واقع ہو تو دفعہ 7(1)(a) کیا سزا مقرر کرتی ہے؟",
        options=[
            OptionInput(
                "Death or imprisonment for life, and fine", "موت یا عمر قید، اور جرمانہ", True
            ),
            OptionInput("Imprisonment of up to ten years", "دس سال تک قید"),
            OptionInput("A fine only", "صرف جرمانہ"),
        ],
    ),
    QuestionInput(
        kind="true_false",
        text_en="A scheduled offence is triable only by the Anti-Terrorism Court (s. 12 ATA).",
        text_ur="شیڈول میں درج جرم کی سماعت صرف انسداد دہشت گردی عدالت کر سکتی ہے (دفعہ 12)۔",
        true_answer=True,
    ),
    QuestionInput(
        kind="single",
        text_en="Which section of the ATA provides for the establishment of Anti-Terrorism Courts?",
        text_ur="انسداد دہشت گردی عدالتوں کے قیام کا ذکر ایکٹ کی کس دفعہ میں ہے؟",
        options=[
            OptionInput("Section 13", "دفعہ 13", correct=True),
            OptionInput("Section 6", "دفعہ 6"),
            OptionInput("Section 25", "دفعہ 25"),
        ],
    ),
    QuestionInput(
        kind="single",
        text_en="Within how many working days does s. 19(7) ATA ask the court to decide a case?",
        text_ur="دفعہ 19(7) کے تحت عدالت کو کتنے کام کے دنوں میں مقدمے کا فیصلہ کرنا ہے؟",
        options=[
            OptionInput("Seven", "سات", correct=True),
            OptionInput("Fourteen", "چودہ"),
            OptionInput("Thirty", "تیس"),
            OptionInput("Ninety", "نوے"),
        ],
        feedback_en="The trial runs from day to day, to be decided within seven working days.",
    ),
    QuestionInput(
        kind="true_false",
        text_en=(
            "Under s. 21-H ATA a confession made before a police officer not below the rank "
            "of Deputy Superintendent of Police may be admissible."
        ),
        text_ur=(
            "دفعہ 21-H کے تحت ڈی ایس پی یا اس سے اوپر کے پولیس افسر کے سامنے کیا گیا اعتراف "
            "قابلِ قبول ہو سکتا ہے۔"
        ),
        true_answer=True,
    ),
    QuestionInput(
        kind="multiple",
        text_en="Which of these are scheduled offences (Third Schedule of the ATA)?",
        text_ur="ان میں سے کون سے جرائم شیڈول میں درج ہیں (ایکٹ کا تیسرا شیڈول)؟",
        options=[
            OptionInput(
                "Any offence punishable under the ATA itself",
                "خود ایکٹ کے تحت قابلِ سزا ہر جرم",
                True,
            ),
            OptionInput(
                "Kidnapping for ransom (s. 365-A PPC)", "تاوان کے لیے اغوا (دفعہ 365-A)", True
            ),
            OptionInput(
                "Simple hurt in a private quarrel (s. 337-A PPC)", "ذاتی جھگڑے میں معمولی ضرر"
            ),
            OptionInput("Theft of a bicycle (s. 379 PPC)", "سائیکل کی چوری"),
        ],
        points=2,
    ),
    QuestionInput(
        kind="single",
        text_en="Which section of the ATA prohibits acts meant to stir up sectarian hatred?",
        text_ur="فرقہ وارانہ نفرت بھڑکانے والے افعال کی ممانعت ایکٹ کی کس دفعہ میں ہے؟",
        options=[
            OptionInput("Section 8", "دفعہ 8", correct=True),
            OptionInput("Section 6", "دفعہ 6"),
            OptionInput("Section 21-E", "دفعہ 21-E"),
        ],
    ),
    QuestionInput(
        kind="true_false",
        text_en=(
            "The fear an ordinary crime happens to spread does not by itself make it terrorism: "
            f"what counts is the design or purpose of the act ({GHULAM_HUSSAIN})."
        ),
        text_ur=(
            "کسی عام جرم سے اتفاقاً پھیلنے والا خوف خود اسے دہشت گردی نہیں بناتا: اصل چیز فعل "
            "کا مقصد یا ارادہ ہے (غلام حسین بنام سرکار، PLD 2020 SC 61)۔"
        ),
        true_answer=True,
    ),
    QuestionInput(
        kind="short",
        text_en=(
            "A man shoots his neighbour dead over a property dispute in a crowded market and "
            "people flee in panic. Is this terrorism under s. 6 ATA? Give your reasons."
        ),
        text_ur=(
            "ایک شخص جائیداد کے تنازع پر بھرے بازار میں اپنے پڑوسی کو گولی مار کر قتل کر دیتا "
            "ہے اور لوگ خوف سے بھاگ جاتے ہیں۔ کیا یہ دفعہ 6 کے تحت دہشت گردی ہے؟ وجوہات لکھیں۔"
        ),
        rubric_en=(
            f"Applies the design/purpose test of s. 6(1)(b)-(c) as explained in {GHULAM_HUSSAIN}: "
            "fear caused as a by-product of a private crime does not make it terrorism; the "
            "motive was personal enmity, so it is a case for the ordinary court (s. 302 PPC). "
            "1 point: the test named; 1: applied to the facts; 1: the conclusion."
        ),
        points=3,
    ),
]


def seed_demo_quiz(kernel: Kernel, course_id: str, trainer: Actor) -> int:
    """Give the course the demo quiz (pass at 60%, three attempts); returns questions added."""
    if course_has_quiz(kernel, course_id):
        return 0
    for question in QUESTIONS:
        add_question(kernel, trainer, course_id, question)
    quiz = kernel.store.find_one(Quiz, {"course_id": course_id})
    version = quiz.version if quiz else 0
    save_settings(
        kernel,
        trainer,
        course_id,
        version=version,
        data=SettingsInput(pass_percent=60, attempt_limit=3),
    )
    return len(QUESTIONS)
