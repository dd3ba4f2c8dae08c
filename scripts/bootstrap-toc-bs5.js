/* Loaded after bootstrap-toc 0.4.1 (pkgdown's own copy) by the pages that
   scripts/site_localise.py makes self-contained. Gives its table of contents
   the markup of bootstrap-toc 1.0.1, which pkgdown 2.0's Bootstrap 5 style
   sheet and scrollspy expect: a <nav class="nav"> of <a class="nav-link">
   links, each sub-list right after the link of its heading. */
(function($) {
  'use strict';
  var helpers = window.Toc.helpers;

  helpers.createNavList = function() {
    return $('<nav class="nav nav-pills flex-column"></nav>');
  };

  helpers.createChildNavList = function($parent) {
    var $list = this.createNavList();
    if ($parent.is('a')) {
      $parent.after($list);
    } else {
      $parent.append($list);
    }
    return $list;
  };

  helpers.generateNavEl = function(anchor, text) {
    var $a = $('<a class="nav-link"></a>');
    $a.attr('href', '#' + anchor);
    $a.text(text);
    return $a;
  };
})(jQuery);
