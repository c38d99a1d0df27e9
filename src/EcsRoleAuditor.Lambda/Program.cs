// The bootstrap entry point is completed by the Lambda hosting work (issue 5).
return 0;
