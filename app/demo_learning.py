"""The demo trainer's course: the Anti-Terrorism Act for newly posted ATC prosecutors.

Three lessons that cite real sections of the demo library (s. 302, s. 34 and s. 365-A PPC,
so the reader shows their text), the ten-question quiz of ``app.demo_quiz``, published
through the same services a trainer uses. The demo enrolments (``learning.demo_training``)
then assign it in Karachi South. Idempotent: nothing happens if the course exists.
"""

from __future__ import annotations

from app.demo_quiz import seed_demo_quiz
from learning.courses import CourseFields, add_module, create_course, publish_course
from learning.lessons import LessonFields, create_lesson
from learning.models import Course
from mizan.accounts.models import User
from mizan.accounts.service import actor_for
from mizan.kernel import Kernel

TITLE = "The Anti-Terrorism Act for newly posted ATC prosecutors"

LESSONS = [
    LessonFields(
        title_en="What makes an offence terrorism",
        title_ur="کون سا جرم دہشت گردی ہے",
        estimated_minutes=15,
        body_en="""An Anti-Terrorism Court tries the **scheduled offences** of the Anti-Terrorism
Act, 1997. Whether an act is *terrorism* under s. 6 ATA depends on its design and purpose,
not only on how grave it is: a murder over a private dispute stays an offence under
section 302 PPC and is tried by the Sessions Court.

Before you accept a challan in an ATC, ask:

1. Was the act designed to coerce or intimidate the government or the public, or to create
   a sense of fear or insecurity in society?
2. Is the offence in the Third Schedule?
3. Would the case stand if it were sent back to the ordinary court?

Read section 302 PPC below: the punishment of qatl-i-amd is the same in either court;
what changes is the forum and the trial timetable (s. 19 ATA: seven working days).""",
        body_ur="""انسداد دہشت گردی عدالت صرف انسداد دہشت گردی ایکٹ 1997 کے **شیڈول جرائم** کی
سماعت کرتی ہے۔ کوئی فعل دفعہ 6 کے تحت *دہشت گردی* ہے یا نہیں، اس کا انحصار اس کے مقصد پر ہے،
صرف اس کی سنگینی پر نہیں۔

چالان قبول کرنے سے پہلے پوچھیں: کیا مقصد حکومت یا عوام کو خوفزدہ کرنا تھا؟ کیا جرم تیسرے شیڈول
میں ہے؟""",
    ),
    LessonFields(
        title_en="Common intention and the accused in a group",
        title_ur="مشترکہ نیت اور گروہ میں ملزمان",
        estimated_minutes=10,
        body_en="""Attacks are rarely the work of one person. Section 34 PPC makes each person
liable for an act done by several in furtherance of their **common intention**, as if
each had done it alone.

- Prove the prior meeting of minds (it may form on the spot).
- Prove each accused's presence and part.
- Charge s. 302 read with s. 34 PPC where the fatal injury cannot be attributed.""",
        body_ur="""دفعہ 34 تعزیرات پاکستان کے تحت مشترکہ نیت سے کیے گئے فعل کا ہر شریک ذمہ دار ہے۔
ہر ملزم کی موجودگی اور کردار ثابت کریں۔""",
    ),
    LessonFields(
        title_en="Kidnapping for ransom",
        title_ur="تاوان کے لیے اغوا",
        estimated_minutes=10,
        body_en="""Kidnapping for ransom under section 365-A PPC is a scheduled offence and one
of the commonest ATC cases in Sindh. The prosecution must prove the abduction, the demand
for ransom and the link between the accused and the demand (calls, recoveries, the
identification parade).""",
        body_ur="""دفعہ 365-A تعزیرات پاکستان کے تحت تاوان کے لیے اغوا شیڈول جرم ہے۔ اغوا، تاوان کا
مطالبہ اور ملزم کا اس سے تعلق ثابت کرنا ضروری ہے۔""",
    ),
]


def seed_demo_course(kernel: Kernel) -> str | None:
    """Create, fill and publish the course as the demo trainer; its id, or None if it exists
    or there is no demo trainer."""
    store = kernel.store
    user = store.find_one(User, {"username": "trainer"})
    if user is None or store.find_one(Course, {"title_en": TITLE}) is not None:
        return None
    trainer = actor_for(user, channel="cli")
    course = create_course(
        kernel,
        trainer,
        CourseFields(
            title_en=TITLE,
            title_ur="نئے تعینات اے ٹی سی پراسیکیوٹرز کے لیے انسداد دہشت گردی ایکٹ",
            summary_en="The offences an Anti-Terrorism Court tries, common intention, and "
            "kidnapping for ransom, with the sections' text and a ten-question quiz.",
            summary_ur="انسداد دہشت گردی عدالت کے جرائم، مشترکہ نیت اور تاوان کے لیے اغوا۔",
            roles=("prosecutor", "district_public_prosecutor"),
            estimated_minutes=45,
            self_enrol=True,
        ),
    )
    module = add_module(kernel, trainer, course.id, title_en="The Act", title_ur="ایکٹ")
    for fields in LESSONS:
        create_lesson(kernel, trainer, course.id, module.key, fields)
    seed_demo_quiz(kernel, course.id, trainer)
    publish_course(kernel, trainer, course.id)
    return course.id
