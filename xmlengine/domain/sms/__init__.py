"""SMS and MMS (docs/sms.md): the message log, attachments, DID and profile settings,
the network job that sends a message and what an inbound one sets off."""
