// The built-in English keyword lists. Chosen to be specific rather than
// complete: a reply no list recognises is "other", which a person reads, while
// a wrong label (an opt-out filed as interest) does harm. Phrases are matched
// on word boundaries, so "interested" does not fire inside "uninterested"
// (which the not_interested list names itself).
#include "instantly/workflows/reply_classifier.hpp"

namespace instantly::workflows {

ReplyKeywords ReplyKeywords::defaults() {
  ReplyKeywords k;
  k.unsubscribe = {
      "unsubscribe", "unsubscribed", "remove me", "remove us", "remove my email", "remove my address",
      "take me off", "take us off", "opt out", "opt-out", "opting out", "stop emailing", "stop sending",
      "stop contacting", "stop writing", "stop messaging", "do not contact", "don't contact",
      "do not email", "don't email", "never contact", "no more emails", "not contact me again",
      "not email me again", "off your list", "off your mailing list", "gdpr", "spam me",
  };
  k.out_of_office = {
      "out of office", "out of the office", "ooo", "automatic reply", "auto reply", "auto-reply",
      "autoreply", "away from the office", "away from my desk until", "on vacation", "on holiday",
      "on holidays", "on annual leave", "parental leave", "maternity leave",
      "paternity leave", "sick leave", "limited access to email", "limited access to my email",
      "no access to email", "currently away", "i am away", "i'm away",
      "back in the office", "will be back on", "returning on",
      "will respond when i return", "will reply when i am back", "will reply when i'm back",
  };
  k.not_interested = {
      "not interested", "no interest", "uninterested", "not a fit", "not a good fit",
      "not the right fit", "not the right time", "not a priority", "not for us", "not for me",
      "not looking", "not in the market", "no thanks", "no thank you", "no, thanks", "we're all set",
      "we are all set", "we're good", "we are good", "we're covered", "already have a", "already have an",
      "already using", "already work with", "already working with", "we'll pass", "i'll pass",
      "we will pass", "pass on this", "not at this time", "not right now", "not now", "don't need",
      "do not need", "no need for", "not relevant", "please don't follow up", "not buying",
      "wrong person", "no budget", "not something we need",
  };
  k.interested = {
      "interested", "interesting", "sounds good", "sounds great", "sounds interesting", "tell me more",
      "more info", "more information", "more details", "send me more", "send more", "send over",
      "send me pricing", "pricing", "price", "prices", "how much", "cost", "quote", "demo",
      "let's talk", "lets talk", "let's chat", "let's connect", "can we talk", "could we talk",
      "can we chat", "set up a call", "schedule a call", "book a call", "hop on a call", "jump on a call",
      "a quick call", "call me", "give me a call", "meeting", "meet", "calendar", "calendly",
      "availability", "available", "free next week", "free on", "works for me", "would love to",
      "happy to chat", "happy to talk", "keen", "curious", "let me know more", "how does it work",
      "how this works", "sign me up", "count me in",
  };
  return k;
}

}  // namespace instantly::workflows
