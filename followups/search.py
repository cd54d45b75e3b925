"""Search documents for the published follow-ups of a published promise."""

from core.search import Document
from followups.selectors import published_followups
from promises.search import promise_facets, published_promise_for


def documents(key: str) -> list[Document]:
    promise = published_promise_for(key)
    if promise is None:
        return []
    facets = promise_facets(promise)
    docs = []
    for followup in published_followups(promise.id):
        lines = [followup.narrative]
        for assessment in followup.assessments.all():
            lines += [assessment.commitment_text, assessment.outcome, assessment.comment]
        docs.append(
            Document(
                kind="followup",
                title=f"{followup.title}: {promise.title}",
                body="\n".join(line for line in lines if line),
                url=f"{promise.url}#{followup.public_anchor}",
                facets={**facets, "part": [], "ar": [str(followup.period_start_date.year)]},
                published_at=followup.published_at,
            )
        )
    return docs
