/****             初始化在线咨询悬浮框             ****/
(function() {
      var appId=__APPID__;//将 appId 的值替换成你创建的应用的 appId
      var hostname = "__HOSTNAME__";
      var obj_1=document.createElement("div"); //创建一个客户咨询悬浮框
      obj_1.id="com.vtc365.OnlineConsultation";//初始化悬浮框唯一标识
      //设置悬浮框样式(背景,宽度,高度,边框,定位)
      obj_1.setAttribute("style", "background: #68b325; position: fixed; width: 200px; height: 37px;"+
      "border-radius: 2px;cursor: pointer;right: 0;bottom: 0;font-size: 18px; line-height: 37px;"+
       "text-align: center; color: #ffffff;z-index:9999;");
      //设置悬浮框上图标及字样
       obj_1.innerHTML="<img style='float:left;margin-left:39px; margin-top:6px;' "+
       "src='"+hostname+"images/mydiv_ico.png' width='28' height='26' />"+
       "<div style='float:left;line-height:37px;margin-left:15px;' >在线咨询</div>";
      document.body.appendChild(obj_1); //将悬浮框加到当前页面
      //点击弹出对话框
      document.getElementById(obj_1.id).onclick=function(){
            window.open(hostname+"chat4help.jsp?appId="+appId,"_blank", "height=650, "+
             "width=600, toolbar =no, scrollbars=no, menubar=no, location=no, status=no");
       };
})();
